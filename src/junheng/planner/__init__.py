"""The rectification planner: the cheapest actions after which a county passes.

``solve.make_plan(data, standard, settings) -> Plan``; settings from
``settings.load_plan_settings`` (the shipped ``plan-settings.yaml`` merged with a user's
file). See docs/planner.md (users) and docs/decisions/009-planner-model.md (the model).
"""
