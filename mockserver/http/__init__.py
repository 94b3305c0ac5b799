"""The HTTP layer: the Flask app, WSGI dispatch and middleware, routing, binding, CORS, serving."""
