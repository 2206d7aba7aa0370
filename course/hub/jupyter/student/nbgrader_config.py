"""nbgrader in a student's JupyterLab on the course hub: the Assignments tab fetches from and
submits to the class's exchange (the hub passes its folder in COURSE_EXCHANGE)."""
import os

from course import syllabus

c = get_config()  # noqa: F821 (injected by traitlets)
c.CourseDirectory.course_id = syllabus.course_id()
c.Exchange.root = os.environ["COURSE_EXCHANGE"]
