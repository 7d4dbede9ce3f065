# Fills /dev/shm to its limit (the host's was shared: all of RAM, files outliving the grading), writes 64 MiB to /tmp
# and leaves a sleeping process behind to outlive the grading. The honest rest (alice's) keeps 33/33; nothing stays.
# expect: full marks
# base: alice
# %% soft_update
import os, subprocess
for folder, files in (("/dev/shm", 1000), ("/tmp", 16)):
    for index in range(files):
        try:
            with open(f"{folder}/mallory-was-here-{index}", "wb") as handle:
                handle.write(b"x" * (4 << 20))
        except OSError:
            break
try:
    subprocess.Popen(["/bin/sleep", "3600"], start_new_session=True)
except OSError:
    pass

def soft_update(target_net, online_net, tau):
    with torch.no_grad():
        for target, online in zip(target_net.parameters(), online_net.parameters()):
            target.mul_(1 - tau).add_(tau * online)
