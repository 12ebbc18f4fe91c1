"""`python manage.py <command>`: thin commands that call services (writes) and detection."""
