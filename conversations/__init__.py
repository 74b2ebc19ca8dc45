"""The heart of wbs-bot: the report form as data, the engine that walks it, the case workflow.

Nothing here knows a chat app or SQL.
"""
