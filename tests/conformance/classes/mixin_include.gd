graph Walker {
    fn walk() { return "walking" }
}
graph Robot {
    model: "R2"
}
Robot.include(Walker)
r = Robot.clone()
print(r.walk())                 # expect: walking
print(r.responds_to("walk"))    # expect: true
