reflect = "loaded"
