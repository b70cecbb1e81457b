"""Teaching: the examples a person taught (the profile), their variations, the personal model that reads with them."""
