/*
 * autosched: the nudge. The web tier and the command-line tool record what must happen in
 * the database, then send one datagram to schedd's notify socket so that it looks now
 * instead of at its next poll. Both ends live here: they must agree on the address.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <string.h>
#include <unistd.h>

#include "base.h"

/* Fills *sun with the unix socket address path. Returns 0, or -1 when it cannot hold it. */
static int
notify_addr(const char *path, struct sockaddr_un *sun)
{
	if (path == NULL || strlen(path) >= sizeof(sun->sun_path))
		return -1;
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, path, strlen(path) + 1);
	return 0;
}

void
notify_send(const char *path)
{
	struct sockaddr_un	 sun;
	int			 fd;

	if (notify_addr(path, &sun) == -1)
		return;
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) == -1)
		return;
	/* One byte: "look now". A full or absent socket only means schedd looks later. */
	(void)sendto(fd, "!", 1, MSG_DONTWAIT, (struct sockaddr *)&sun, sizeof(sun));
	close(fd);
}

int
notify_listen(const char *path)
{
	struct sockaddr_un	 sun;
	int			 fd;

	if (notify_addr(path, &sun) == -1)
		return -1;
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	unlink(path);		/* a socket left by an earlier schedd */
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		log_warn("cannot listen on the notify socket '%s' (polling only)", path);
		close(fd);
		return -1;
	}
	/* The web tier may run as another user: let it write. */
	chmod(path, 0666);
	return fd;
}
