"""The networks a contact can be on, one package each, behind core's transport seam."""
