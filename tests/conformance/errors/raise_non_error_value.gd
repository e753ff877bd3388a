raise "plain text failure"
# expect error: RuntimeError: plain text failure
