"""Investment activity models (visits, projects, signing events) arrive with the activity issue."""
