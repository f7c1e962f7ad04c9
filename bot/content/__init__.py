"""Loading and validating the YAML in the top-level `content/` folder.

Import from the submodules (`bot.content.models`, `bot.content.loader`, ...): this package
re-exports nothing, so importing one submodule never drags in the others and no import cycle
can form between the loader and the safety module.
"""
