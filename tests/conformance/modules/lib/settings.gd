app_name = "demo"
fn settings_loaded() { return true }
