"""The instructor's JupyterLab on the course hub: the formgrader panel may be framed by the
instructor's own pages.

JupyterHub >= 4.1 forbids framing single-user pages (frame-ancestors 'none'),
because on one origin another user's server could frame them. The course hub
gives every user their own subdomain (JupyterHub.subdomain_host), so 'self' is
only the instructor's own server: the secure way nbgrader documents (#1947).
Student servers keep JupyterHub's default.
"""
c = get_config()  # noqa: F821 (injected by traitlets)
c.ServerApp.tornado_settings = {"headers": {"Content-Security-Policy": "frame-ancestors 'self'"}}
