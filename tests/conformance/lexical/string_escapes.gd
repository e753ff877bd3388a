print("a\tb")      # expect: a	b
print("line1\nline2")
# expect: line1
# expect: line2
print("back\\slash")  # expect: back\slash
print("say \"hi\"")   # expect: say "hi"
print('it\'s')        # expect: it's
print("q'uote")       # expect: q'uote
