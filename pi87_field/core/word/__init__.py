"""Word (.docx) files: the look (`style`), the write-up writer (`writeup`) and its reader (`read`).

The writer and the reader share the write-up's format contract; the reader never runs the writer.
"""
