"""`tabellion chain members list|propose|approve DIR`: read and govern a chain's membership.

    chain members list DIR [--as KEY]
    chain members propose DIR add MEMBER ROLE[,ROLE...] --as KEY
    chain members propose DIR set-roles MEMBER ROLE[,ROLE...] --as KEY
    chain members propose DIR remove MEMBER --as KEY
    chain members approve DIR PROPOSAL --as KEY

`list` is a read (`access.Action.READ_MEMBERSHIP`, signed with `--as` or
anonymous); `propose` and `approve` are membership transactions, which only admins
may submit; a change applies when its approvals reach the chain's quorum
(`runtime/membership.py`).
"""

from __future__ import annotations

__all__ = ["add_arguments", "run"]


def add_arguments(parser) -> None:
    from ..chain.cli_support import add_reader_arguments

    actions = parser.add_subparsers(dest="members_action", metavar="ACTION", title="actions")
    actions.required = True
    listing = actions.add_parser("list", help="list members, roles and open proposals",
                                 description="list the members, their roles, the quorum and the proposals")
    listing.add_argument("directory", metavar="DIR")
    add_reader_arguments(listing)
    propose = actions.add_parser("propose", help="propose a membership change (admins)",
                                 description="propose adding, removing or changing the roles of a member; "
                                             "the proposal counts as your approval")
    propose.add_argument("directory", metavar="DIR")
    propose.add_argument("change", choices=("add", "remove", "set-roles"))
    propose.add_argument("member", metavar="MEMBER", help="a key name or an address")
    propose.add_argument("roles", metavar="ROLES", nargs="?",
                         help="comma-separated roles (admin, validator, writer, reader, auditor)")
    approve = actions.add_parser("approve", help="approve a proposal (admins)",
                                 description="approve a membership proposal; it applies at the quorum")
    approve.add_argument("directory", metavar="DIR")
    approve.add_argument("proposal", type=int, metavar="PROPOSAL")
    for sub in (propose, approve):
        sub.add_argument("--as", dest="as_key", metavar="KEY", required=True, help="the admin key that signs")
        sub.add_argument("--passphrase-file", metavar="FILE", help="read the key's passphrase from FILE")


def run(args) -> int:
    if args.members_action == "list":
        return _list(args)
    return _submit(args)


def _list(args) -> int:
    from ..access import Action, Membership
    from ..chain.cli_support import read_request
    from ..membership import proposal_status
    from .chain_reads import reading as _reading

    chain, reads, reader, names = _reading(args)
    with chain:
        membership = reads.membership(read_request(chain, reader, Action.READ_MEMBERSHIP, Membership()))
        for address, roles in sorted(membership["members"].items()):
            print(f"member    {names.show(address)}  {', '.join(roles)}")
        print(f"quorum    {membership['quorum']} admin approval{'s' * (membership['quorum'] != 1)}")
        height = chain.height + 1
        for number, proposal in sorted(membership["proposals"].items()):
            change = proposal["change"]
            what = f"{change['kind']} {names.show(change['member'])}"
            if "roles" in change:
                what += f" as {', '.join(change['roles'])}"
            status = proposal_status(membership, number, height=height)
            print(f"proposal  {number}: {what} — {status}, approved by {len(proposal['approvals'])} "
                  f"({', '.join(names.show(a) for a in proposal['approvals'])})")
    return 0


def _submit(args) -> int:
    from .. import gas
    from ..chain.cli_support import Names, load_signer, print_receipt, submit
    from ..chain.node import Chain
    from ..chain.transactions import Membership, sign_transaction
    from ..membership import MembershipRejected, add_member, change_roles, remove_member

    with Chain.open(args.directory) as chain:
        names = Names(chain.config.dev)
        signer = load_signer(args.as_key, chain.config.dev, args.passphrase_file)
        names.remember(args.as_key, signer.public_key)
        if args.members_action == "approve":
            operation = {"op": "approve", "proposal": args.proposal}
        else:
            member = names.party(args.member).name
            roles = tuple(r.strip() for r in (args.roles or "").split(",") if r.strip())
            if args.change == "remove":
                if roles:
                    raise MembershipRejected("`propose remove` takes no roles")
                change = remove_member(member)
            elif not roles:
                raise MembershipRejected(f"`propose {args.change}` needs the member's roles, e.g. writer,reader")
            else:
                change = (add_member if args.change == "add" else change_roles)(member, roles)
            operation = {"op": "propose", "change": change}
        tx = sign_transaction(signer, chain.config.chain_id, chain.nonce(signer.address), gas.TRANSACTION,
                              Membership(operation))
        receipt = submit(chain, tx)
        print_receipt(receipt, names)
        if receipt.ok:
            number = receipt.value
            proposal = chain.state.membership["proposals"][number]
            if proposal["applied"] is not None:
                print(f"  proposal {number} applied")
            else:
                print(f"  proposal {number} pending: {len(proposal['approvals'])} of "
                      f"{chain.state.membership['quorum']} approvals")
        return 0 if receipt.ok else 1
