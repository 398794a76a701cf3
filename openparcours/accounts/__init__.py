"""Staff accounts: users, login sessions, passwords, site admins and network offices."""
