print(0xFF)          # expect: 255
print(0x10)          # expect: 16
print(0b1010)        # expect: 10
print(0xFF_00)       # expect: 65280
print(0b1010_0101)   # expect: 165
print(0xff + 1)      # expect: 256
