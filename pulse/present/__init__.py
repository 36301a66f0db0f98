"""Presentation mode and board packs: slides made from the pages' own published results.

- slide: the Slide type (a title that states the message, published tiles, chart, map or table,
  speaker notes, the filters, the data-through date, the definitions, the public-safe flag);
- overview, kpis: the slide builders of the Overview and KPI trends pages;
- registry: the builders keyed by page (how another page adds its slides) and the slide sequence;
- images, pptx_file, pdf_file, pack: charts and maps as images offline, the PowerPoint and PDF files;
- screen, controls: presentation mode and the sidebar's presenting controls, in Streamlit.
"""
