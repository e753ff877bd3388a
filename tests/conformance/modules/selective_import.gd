import "./lib/utils" { double, greet as hi }
print(double(8))            # expect: 16
print(hi("sel"))            # expect: hello sel
