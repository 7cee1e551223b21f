// The model roles, as the configuration names them (`use: instruct|thinking`); defined with the catalog.
import K2Models

public typealias ModelRole = K2Models.ModelRole
