"""A class on one server: JupyterHub for the roster, nbgrader's exchange, feedback on arrival.

``settings`` (where the hub listens, who teaches, the roster, the state folder),
``accounts`` (the Unix accounts of the roster), ``spawner`` (each user's JupyterLab
with the course's environment), ``config`` (JupyterHub's settings, read by
``autograder/jupyterhub_config.py``) and ``service`` (the hub service that grades
submissions as they arrive). The instructor's side: nothing here is imported by a
notebook.
"""
