import "./lib/does_not_exist"
# expect error: does_not_exist
