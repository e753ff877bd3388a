# Importing runs the module in its own namespace: its globals do not leak into the importer.
import "./lib/settings" as st
print(st.app_name)   # expect: demo
print(app_name)
# expect error: app_name
