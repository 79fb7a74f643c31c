"""The conversation: what Leg Day Coach says and does, as plain Python (no Flask, no ASK SDK).

Read in this order:

- ``said``: what a person can say or do, one small type each;
- ``coach``: ``Coach.answer(turn, said, services)``, the one entry point;
- ``questions``: the yes/no questions and what each answer does, one table;
- ``steps``: what each thing said does otherwise, one table, one module per group;
- ``rests``: the rest policy and the timer protocol (over ``skill.services``);
- ``session``: the turn, and the cursor kept in Alexa's session (the question waiting);
- ``reply``: what a step answers;
- ``phrasing``, ``countdown``: the words, from the content files;
- ``screens``: what an Echo Show displays.
"""
