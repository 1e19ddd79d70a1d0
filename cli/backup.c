/*
 * autosched: `autosched backup FILE`: a copy of the live database made with SQLite's online
 * backup API while schedd and the web tier go on writing, checked, then renamed into place.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define BACKUP_STEP_PAGES	256		/* 1 MiB of 4 KiB pages per backup step */

/* backup */

/* Removes path; a path that is not there is no failure. */
static void
remove_quietly(const char *path)
{
	if (unlink(path) == -1 && errno != ENOENT)
		fprintf(stderr, "autosched: cannot remove '%s': %s\n", path, strerror(errno));
}

/* Removes what SQLite may have left beside a database file (with_file: and the file). */
static void
remove_copy(const char *tmp, int with_file)
{
	static const char *const ext[] = { "-journal", "-wal", "-shm" };
	size_t	 i;
	char	*p;

	if (with_file)
		remove_quietly(tmp);
	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		p = xasprintf("%s%s", tmp, ext[i]);
		remove_quietly(p);
		free(p);
	}
}

int
cmd_backup(int argc, char **argv)
{
	struct conf	 c;
	struct stat	 sst, dst;
	struct db_backup_info info;
	struct buf	 check = BUF_INIT;
	const char	*file = NULL;
	char		*tmp = NULL;
	enum db_res	 res;
	int		 force = 0, fd, rc = 1, made = 0;

	if ((rc = cli_file_args(argc, argv, "--force", &force, &file)) != 0)
		return rc == 1 ? 0 : 2;
	rc = 1;
	if (file == NULL || *file == '\0' || strcmp(file, "-") == 0) {
		fprintf(stderr, "autosched: backup needs a FILE to write\n");
		cli_usage(stderr);
		return 2;
	}
	if (cli_load_conf(&c) == -1)
		return 1;
	if (stat(c.db_path, &sst) == -1) {
		fprintf(stderr, "autosched: no database at '%s': %s\n", c.db_path,
		    strerror(errno));
		goto out;
	}
	if (stat(file, &dst) == 0) {
		if (dst.st_dev == sst.st_dev && dst.st_ino == sst.st_ino) {
			fprintf(stderr, "autosched: '%s' is the database itself\n", file);
			goto out;
		}
		if (S_ISDIR(dst.st_mode)) {
			fprintf(stderr, "autosched: '%s' is a folder: give the file to write\n",
			    file);
			goto out;
		}
		if (!force) {
			fprintf(stderr, "autosched: '%s' exists: not overwritten (use --force to "
			    "replace it)\n", file);
			goto out;
		}
	}

	/*
	 * The copy is written beside its destination and renamed over it once complete and
	 * checked. The temporary name is taken with O_EXCL: another backup may be writing it.
	 */
	tmp = xasprintf("%s.tmp", file);
	if (force)
		remove_copy(tmp, 1);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1) {
		if (errno == EEXIST)
			fprintf(stderr, "autosched: '%s' exists: another backup is being written, "
			    "or one was interrupted (remove it, or use --force)\n", tmp);
		else
			fprintf(stderr, "autosched: cannot create '%s': %s\n", tmp,
			    strerror(errno));
		goto out;
	}
	close(fd);
	made = 1;
	/* a journal an interrupted copy left beside it would be rolled into ours */
	remove_copy(tmp, 0);

	res = db_backup(c.db_path, tmp, c.busy_timeout_ms, BACKUP_STEP_PAGES, &info, &check);
	if (res != DB_OK) {
		fprintf(stderr, "autosched: backup failed%s\n", res == DB_BUSY ?
		    ": the database stayed locked" : "");
		goto out;
	}
	if (strcmp(check.data, "ok") != 0) {
		fprintf(stderr, "autosched: the copy fails PRAGMA integrity_check:\n%s\n",
		    check.data);
		goto out;
	}
	/* the copy holds what the database holds (password hashes): the same permissions */
	if (chmod(tmp, sst.st_mode & 0666) == -1 || (fd = open(tmp, O_RDONLY)) == -1 ||
	    file_sync_close(fd) == -1) {
		fprintf(stderr, "autosched: cannot finish '%s': %s\n", tmp, strerror(errno));
		goto out;
	}
	if (rename(tmp, file) == -1) {
		fprintf(stderr, "autosched: cannot rename '%s' to '%s': %s\n", tmp, file,
		    strerror(errno));
		goto out;
	}
	made = 0;
	file_sync_dir(file);
	printf("%s: a copy of %s, %lld pages of %lld bytes (%lld KiB), copied in %lld "
	    "step%s\nintegrity_check: %s\n", file, c.db_path, (long long)info.pages,
	    (long long)info.page_size, (long long)(info.pages * info.page_size / 1024),
	    (long long)info.steps, info.steps == 1 ? "" : "s", check.data);
	rc = 0;
out:
	if (made)
		remove_copy(tmp, 1);
	free(tmp);
	buf_release(&check);
	conf_release(&c);
	return rc;
}
