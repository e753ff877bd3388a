import "./lib/privs"
print(privs.SECRET)
# expect error: SECRET
