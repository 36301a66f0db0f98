"""Presentation mode: the slide sequence, one message per screen (the frame hides its sidebar and toolbars).

The sequence is built in the background (pulse.present.registry): the slide asked for is drawn as soon as
the pages before it are built, and the slide count appears once the rest are.
"""

from pulse import ui
from pulse.present import controls, pack, registry, screen

filters, options = ui.filters(), ui.options()
sequence = registry.sequence(controls.parts(filters, options), options)
slides, complete = sequence.upto(controls.wanted() + 1)
if complete and not slides:
    slides = [pack.nothing(filters, options)]
total = len(slides) if complete else None  # not known until every page's slides are built
index = controls.slide_index(len(slides), complete)
every = controls.every()

screen.shown(index)
screen.draw(slides[index], index, total)
screen.controls(index, total, every, move=controls.move, leave=controls.leave, pause=controls.pause)
screen.timer(every, total)
if not complete:
    screen.preparing(sequence)
