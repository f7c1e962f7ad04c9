"""Scripts that measure Stretchbot and print JSON lines; not part of the test suite."""
