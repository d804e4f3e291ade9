"""The demo call: made-up but realistic data for trying every part of the product.

Everything here exists for the `demo` management command (`inpractice demo`), which loads a
closed call shaped like the real 2025 one (`loader.py`) over a synthetic school register
(`synthetic.py`), analyses it once and makes a staff sign-in (`steps.py`), and publishes demo
case studies to the library (`library.py`). The texts are data, not code: the YAML files in
`data/` (read by `texts.py`). No product app imports this package; see docs/demo.md.
"""
