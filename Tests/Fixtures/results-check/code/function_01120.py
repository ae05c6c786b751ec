def get_inputs(self):
    # XXX gee, this looks familiar ;-(
    inputs = []
    for cmd_name in self.get_sub_commands():
        cmd = self.get_finalized_command(cmd_name)
        inputs.extend(cmd.get_inputs())

    return inputs
