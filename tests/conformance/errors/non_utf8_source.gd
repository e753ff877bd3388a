# note: a source file that is not UTF-8 is reported as a clear error, not a traceback.
# expect error: UTF-8
# expect exit: 65
print("café ÿþ")
