"""The PAR INDEX evidence register (tài liệu kiểm chứng Chỉ số cải cách hành chính):
Piccolo tables, app and migrations of this domain."""
