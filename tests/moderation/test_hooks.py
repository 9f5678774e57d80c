from moderation import hooks


def test_content_posted_reaches_each_listener_once_with_the_content():
    seen = []

    def listener(*, content, is_edit):
        seen.append((content, is_edit))

    hooks.on_content_posted(listener)
    hooks.on_content_posted(listener)
    try:
        hooks.content_posted(content="a story", is_edit=True)
    finally:
        hooks._listeners.remove(listener)
    assert seen == [("a story", True)]
