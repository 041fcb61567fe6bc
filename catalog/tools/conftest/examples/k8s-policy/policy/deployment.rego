# Deployment rules for the Conftest example; manifests/deployment.yaml breaks two of them.
package main

import rego.v1

deny contains msg if {
	input.kind == "Deployment"
	some container in input.spec.template.spec.containers
	not container.securityContext.runAsNonRoot
	msg := sprintf("container %q must set securityContext.runAsNonRoot", [container.name])
}

deny contains msg if {
	input.kind == "Deployment"
	some container in input.spec.template.spec.containers
	endswith(container.image, ":latest")
	msg := sprintf("container %q uses a :latest image", [container.name])
}

warn contains msg if {
	input.kind == "Deployment"
	not input.metadata.labels.team
	msg := "deployment has no team label"
}
