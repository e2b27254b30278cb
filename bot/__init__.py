"""VGG-bot: the Slack bot for the administrative meetings around the VGG."""
