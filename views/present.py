"""Presentation mode: the slide sequence, one message per screen (the frame hides its sidebar and toolbars)."""

from pulse import ui
from pulse.present import controls, pack, registry, screen

filters, options = ui.filters(), ui.options()
slides = registry.built(controls.parts(filters, options), options) or [pack.nothing(filters, options)]
index = controls.slide_index(len(slides))
every = controls.every()

screen.shown(index)
screen.draw(slides[index], index, len(slides))
screen.controls(index, len(slides), every, move=controls.move, leave=controls.leave, pause=controls.pause)
screen.timer(every, len(slides))
