# An uncaught IOError names the path and stops the program with status 70.
import "fs"
print("before")   # expect: before
fs.read_lines("no/such/file.txt")
print("after")
# expect error: IOError: Cannot read 'no/such/file.txt': no such file or directory
# expect error: fs.read_lines("no/such/file.txt")
