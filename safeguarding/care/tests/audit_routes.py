PERSON_ROUTES = {"care:looked-after"}
