m = {"host": "localhost", "port": 8080}
print(m.host)      # expect: localhost
print(m.port + 1)  # expect: 8081
print(m.port())    # expect: 8080
