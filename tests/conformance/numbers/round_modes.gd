print((1234).round(:nearest_ten))     # expect: 1230
print((1235).round(:nearest_ten))     # expect: 1240
print((1250).round(:nearest_hundred)) # expect: 1300
print((1249).round(:nearest_hundred)) # expect: 1200
