"""The VGG-bot benchmark: the bot against a bare Bolt app on the same server (`python -m bench`)."""
