"""Every sentence the bot says, grouped by feature: one place to edit and, later, to translate."""
