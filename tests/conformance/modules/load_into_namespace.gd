load "lib/settings.gd"
print(app_name)             # expect: demo
print(settings_loaded())    # expect: true
