"""The process: settings, dependencies, the app factory and its error answer, follow-ups after the
acknowledgement, the answer cache, the Slack client, logging, the CLI and serving (HTTP, Socket Mode).
May import everything; nothing but the CLI, the tests and the benchmark imports the serving modules."""
