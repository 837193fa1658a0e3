from course_builder.cli import main

main(prog_name="course-builder")
