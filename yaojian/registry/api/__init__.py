"""REST API of the registry app: entities, licences, products and persons."""
