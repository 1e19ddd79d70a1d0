/*
 * autosched: the command-line tool, bin/autosched: its table of commands, and main.
 *
 * Subcommands are a table, as git's are; each parses its own arguments (cli.h). `next`
 * shows when a cron expression fires and needs no installation; the others work on one
 * through its configuration file: `init` creates or upgrades the database, `user`,
 * `apikey` and `check-config` manage it, and the operations commands list the jobs
 * (`jobs list`), move them between databases (`export`, `import`), turn a crontab into jobs
 * (`import-crontab`) and copy the live database (`backup`). Every change to a job goes
 * through the job service (lib/jobs.c), as the API's and the dashboard's do.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int	cmd_help(int, char **);

static const struct cmd {
	const char	*name;
	int		(*fn)(int, char **);
	const char	*usage;
} cmds[] = {
	{ "next", cmd_next,
	  "next EXPR [--tz ZONE] [--count N] [--from ISO8601]\n"
	  "       [--window 'DAYS HH:MM-HH:MM' ...] [--jitter SECONDS]\n"
	  "       autosched next --stdin" },
	{ "init", cmd_init, "[-c CONFIG] init" },
	{ "apikey", cmd_apikey, "[-c CONFIG] apikey create NAME | list | revoke NAME" },
	{ "user", cmd_user, "[-c CONFIG] user add NAME | passwd NAME | list | delete NAME\n"
	  "       (a password is read from the first line of standard input)" },
	{ "check-config", cmd_check_config, "[-c CONFIG] check-config" },
	{ "jobs", cmd_jobs, "[-c CONFIG] jobs list [--json] | delete ID" },
	{ "export", cmd_export, "[-c CONFIG] export [FILE]" },
	{ "import", cmd_import, "[-c CONFIG] import [FILE] [--replace]" },
	{ "import-crontab", cmd_import_crontab, "[-c CONFIG] import-crontab FILE --bot TYPE "
	  "[--tz ZONE] [--prefix NAME]\n"
	  "                 [--dry-run] [--skip-bad]" },
	{ "backup", cmd_backup, "[-c CONFIG] backup FILE [--force]" },
	{ "pause", cmd_pause, "[-c CONFIG] pause [--bot TYPE] [--note TEXT] [--until ISO8601] "
	  "| pause --list" },
	{ "resume", cmd_resume, "[-c CONFIG] resume PAUSE_ID | --all | --job JOB_ID" },
	{ "help", cmd_help, "help" },
};

const char	*cli_conf_path;

void
cli_usage(FILE *f)
{
	size_t	 i;

	fprintf(f, "usage:");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "%s autosched %s\n", i ? "      " : "", cmds[i].usage);
}

static int
cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_usage(stdout);
	return 0;
}

int
main(int argc, char **argv)
{
	size_t	 i;

	log_init("autosched", LOGTO_STDERR, 0);
	if (argc >= 3 && (strcmp(argv[1], "-c") == 0 || strcmp(argv[1], "--config") == 0)) {
		cli_conf_path = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc < 2) {
		cli_usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(argc - 1, argv + 1);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "autosched: unknown command '%s'\n", argv[1]);
	cli_usage(stderr);
	return 2;
}
