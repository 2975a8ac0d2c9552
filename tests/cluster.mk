# tests/cluster.mk — `make test-cluster`: the README's "Across machines" recipes (GNU parallel
# over ssh, a Slurm job array then `pcap2report index`) run as written on this one machine, as
# root: tests/cluster.sh installs Slurm, munge, GNU parallel and an ssh server from Debian,
# starts them with all their state in a temp folder, and checks the merged indexes and reports
# against a single-machine run. Included by the Makefile; .ci/run runs it after `make test`
# when it runs as root. Not part of `make test` (it needs root and starts daemons).

.PHONY: test-cluster

test-cluster: deps
	$(MAKE) $(PROGRAM)
	sh tests/cluster.sh $(PROGRAM)
