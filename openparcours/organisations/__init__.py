"""Organisations (schools and institutions), their members' roles and invitations."""
