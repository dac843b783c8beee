/** Input the command cannot act on (an unknown tenant, a missing option): exit code 2, no stack. */
export class CliInputError extends Error {}
