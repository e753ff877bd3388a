fn route(req) {
    return match req {
        ["get", path] => "GET " + path
        ["post", path, _] => "POST " + path
        [1, _, _] => "starts with one"
        _ => "unknown"
    }
}
print(route(["get", "/a"]))           # expect: GET /a
print(route(["post", "/b", "body"]))  # expect: POST /b
print(route([1, 2, 3]))               # expect: starts with one
print(route(["put"]))                 # expect: unknown
