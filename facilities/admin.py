# Curation models are registered here; their permissions are declared in platform_site/roles.py.
