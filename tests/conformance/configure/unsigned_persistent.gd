configure { :unsigned }
print(-1 >> 62)        # expect: 3
print(8 >> 1)          # expect: 4
